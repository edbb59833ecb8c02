-- CreateIndex
CREATE INDEX "Link_connectionId_salesforceObject_pryzmIdWrittenAt_created_idx" ON "Link"("connectionId", "salesforceObject", "pryzmIdWrittenAt", "createdAt");
