-- CreateTable
CREATE TABLE "PendingIdWriteBack" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "linkId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "salesforceObject" TEXT NOT NULL,
    CONSTRAINT "PendingIdWriteBack_linkId_fkey" FOREIGN KEY ("linkId") REFERENCES "Link" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Links awaiting their Pryzm_ID__c write-back join the queue in the order the write-back read them.
INSERT INTO "PendingIdWriteBack" ("linkId", "connectionId", "salesforceObject") SELECT "id", "connectionId", "salesforceObject" FROM "Link" WHERE "pryzmIdWrittenAt" IS NULL ORDER BY "createdAt", "id";

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Link" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "salesforceObject" TEXT NOT NULL,
    "salesforceId" TEXT NOT NULL,
    "baseValues" JSONB NOT NULL,
    "lastSyncedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "salesforceDeletedAt" DATETIME,
    "salesforceModstamp" DATETIME,
    CONSTRAINT "Link_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Link_recordId_fkey" FOREIGN KEY ("recordId") REFERENCES "PryzmRecord" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Link" ("baseValues", "connectionId", "createdAt", "id", "lastSyncedAt", "recordId", "salesforceDeletedAt", "salesforceId", "salesforceModstamp", "salesforceObject", "updatedAt") SELECT "baseValues", "connectionId", "createdAt", "id", "lastSyncedAt", "recordId", "salesforceDeletedAt", "salesforceId", "salesforceModstamp", "salesforceObject", "updatedAt" FROM "Link";
DROP TABLE "Link";
ALTER TABLE "new_Link" RENAME TO "Link";
CREATE INDEX "Link_recordId_idx" ON "Link"("recordId");
CREATE UNIQUE INDEX "Link_connectionId_salesforceId_key" ON "Link"("connectionId", "salesforceId");
CREATE UNIQUE INDEX "Link_connectionId_salesforceObject_recordId_key" ON "Link"("connectionId", "salesforceObject", "recordId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "PendingIdWriteBack_linkId_key" ON "PendingIdWriteBack"("linkId");

-- CreateIndex
CREATE INDEX "PendingIdWriteBack_connectionId_salesforceObject_seq_idx" ON "PendingIdWriteBack"("connectionId", "salesforceObject", "seq");
