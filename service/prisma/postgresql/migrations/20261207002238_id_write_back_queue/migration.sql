-- CreateTable
CREATE TABLE "PendingIdWriteBack" (
    "seq" SERIAL NOT NULL,
    "linkId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "salesforceObject" TEXT NOT NULL,

    CONSTRAINT "PendingIdWriteBack_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "PendingIdWriteBack_linkId_key" ON "PendingIdWriteBack"("linkId");

-- CreateIndex
CREATE INDEX "PendingIdWriteBack_connectionId_salesforceObject_seq_idx" ON "PendingIdWriteBack"("connectionId", "salesforceObject", "seq");

-- AddForeignKey
ALTER TABLE "PendingIdWriteBack" ADD CONSTRAINT "PendingIdWriteBack_linkId_fkey" FOREIGN KEY ("linkId") REFERENCES "Link"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Links awaiting their Pryzm_ID__c write-back join the queue in the order the write-back read them.
INSERT INTO "PendingIdWriteBack" ("linkId", "connectionId", "salesforceObject") SELECT "id", "connectionId", "salesforceObject" FROM "Link" WHERE "pryzmIdWrittenAt" IS NULL ORDER BY "createdAt", "id";

-- DropIndex
DROP INDEX "Link_connectionId_salesforceObject_pryzmIdWrittenAt_created_idx";

-- AlterTable
ALTER TABLE "Link" DROP COLUMN "pryzmIdWrittenAt";
