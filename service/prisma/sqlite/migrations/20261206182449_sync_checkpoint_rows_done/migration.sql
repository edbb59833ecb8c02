-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_SyncCheckpoint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "jobId" TEXT NOT NULL,
    "salesforceObject" TEXT NOT NULL,
    "bulkJobId" TEXT,
    "nextLocator" TEXT,
    "done" BOOLEAN NOT NULL DEFAULT false,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER,
    "maxModstamp" TEXT,
    "updatedAt" DATETIME NOT NULL,
    "rowsDone" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "SyncCheckpoint_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "SyncJob" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_SyncCheckpoint" ("bulkJobId", "done", "id", "jobId", "maxModstamp", "nextLocator", "processed", "salesforceObject", "total", "updatedAt") SELECT "bulkJobId", "done", "id", "jobId", "maxModstamp", "nextLocator", "processed", "salesforceObject", "total", "updatedAt" FROM "SyncCheckpoint";
DROP TABLE "SyncCheckpoint";
ALTER TABLE "new_SyncCheckpoint" RENAME TO "SyncCheckpoint";
CREATE UNIQUE INDEX "SyncCheckpoint_jobId_salesforceObject_key" ON "SyncCheckpoint"("jobId", "salesforceObject");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
