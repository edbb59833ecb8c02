-- AlterTable
ALTER TABLE "SyncCursor" ADD COLUMN     "deletedCheckedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "SyncIngestJob" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "salesforceObject" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "bulkJobId" TEXT NOT NULL,
    "batch" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SyncIngestJob_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SyncIngestJob_jobId_salesforceObject_purpose_idx" ON "SyncIngestJob"("jobId", "salesforceObject", "purpose");

-- AddForeignKey
ALTER TABLE "SyncIngestJob" ADD CONSTRAINT "SyncIngestJob_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "SyncJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;
