-- AlterTable
ALTER TABLE "Link" ADD COLUMN "pryzmIdWrittenAt" DATETIME;

-- CreateTable
CREATE TABLE "SyncJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "heartbeatAt" DATETIME,
    "queuedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "SyncJob_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SyncCheckpoint" (
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
    CONSTRAINT "SyncCheckpoint_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "SyncJob" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SyncRecordResult" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "jobId" TEXT NOT NULL,
    "salesforceObject" TEXT NOT NULL,
    "salesforceId" TEXT,
    "recordId" TEXT,
    "action" TEXT NOT NULL,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "fields" JSONB,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SyncRecordResult_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "SyncJob" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SyncCursor" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT NOT NULL,
    "salesforceObject" TEXT NOT NULL,
    "systemModstamp" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "SyncCursor_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
