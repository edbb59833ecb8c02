-- AlterTable
ALTER TABLE "Link" ADD COLUMN     "pryzmIdWrittenAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "SyncJob" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "scope" JSONB NOT NULL,
    "progress" JSONB NOT NULL,
    "counts" JSONB NOT NULL,
    "apiCalls" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedBy" TEXT NOT NULL,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "workerId" TEXT,
    "heartbeatAt" TIMESTAMP(3),
    "queuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "SyncJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncCheckpoint" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "salesforceObject" TEXT NOT NULL,
    "bulkJobId" TEXT,
    "nextLocator" TEXT,
    "done" BOOLEAN NOT NULL DEFAULT false,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER,
    "maxModstamp" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncCheckpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncRecordResult" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "salesforceObject" TEXT NOT NULL,
    "salesforceId" TEXT,
    "recordId" TEXT,
    "action" TEXT NOT NULL,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "fields" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SyncRecordResult_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncCursor" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "salesforceObject" TEXT NOT NULL,
    "systemModstamp" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncCursor_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SyncJob_connectionId_queuedAt_idx" ON "SyncJob"("connectionId", "queuedAt");

-- CreateIndex
CREATE INDEX "SyncJob_status_idx" ON "SyncJob"("status");

-- CreateIndex
CREATE UNIQUE INDEX "SyncCheckpoint_jobId_salesforceObject_key" ON "SyncCheckpoint"("jobId", "salesforceObject");

-- CreateIndex
CREATE INDEX "SyncRecordResult_jobId_salesforceObject_idx" ON "SyncRecordResult"("jobId", "salesforceObject");

-- CreateIndex
CREATE INDEX "SyncRecordResult_recordId_idx" ON "SyncRecordResult"("recordId");

-- CreateIndex
CREATE UNIQUE INDEX "SyncCursor_connectionId_salesforceObject_key" ON "SyncCursor"("connectionId", "salesforceObject");

-- AddForeignKey
ALTER TABLE "SyncJob" ADD CONSTRAINT "SyncJob_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncCheckpoint" ADD CONSTRAINT "SyncCheckpoint_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "SyncJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncRecordResult" ADD CONSTRAINT "SyncRecordResult_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "SyncJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncCursor" ADD CONSTRAINT "SyncCursor_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;
