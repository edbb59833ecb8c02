-- AlterTable
ALTER TABLE "SyncCursor" ADD COLUMN "deletedCheckedAt" DATETIME;

-- CreateTable
CREATE TABLE "SyncIngestJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "jobId" TEXT NOT NULL,
    "salesforceObject" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "bulkJobId" TEXT NOT NULL,
    "batch" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SyncIngestJob_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "SyncJob" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "SyncIngestJob_jobId_salesforceObject_purpose_idx" ON "SyncIngestJob"("jobId", "salesforceObject", "purpose");
