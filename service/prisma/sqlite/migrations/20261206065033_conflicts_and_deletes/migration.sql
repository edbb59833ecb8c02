-- AlterTable
ALTER TABLE "ObjectMapping" ADD COLUMN "deletes" JSONB;

-- AlterTable
ALTER TABLE "Link" ADD COLUMN "salesforceDeletedAt" DATETIME;

-- CreateTable
CREATE TABLE "SyncConflict" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "salesforceObject" TEXT NOT NULL,
    "salesforceId" TEXT NOT NULL,
    "fields" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "jobId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "resolvedAt" DATETIME,
    CONSTRAINT "SyncConflict_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "SyncConflict_connectionId_salesforceId_idx" ON "SyncConflict"("connectionId", "salesforceId");

-- CreateIndex
CREATE INDEX "SyncConflict_workspaceId_status_createdAt_idx" ON "SyncConflict"("workspaceId", "status", "createdAt");
