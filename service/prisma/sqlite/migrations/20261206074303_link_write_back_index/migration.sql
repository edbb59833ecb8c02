-- CreateIndex
CREATE INDEX "Link_connectionId_salesforceObject_pryzmIdWrittenAt_createdAt_idx" ON "Link"("connectionId", "salesforceObject", "pryzmIdWrittenAt", "createdAt");
