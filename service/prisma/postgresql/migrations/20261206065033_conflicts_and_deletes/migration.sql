-- AlterTable
ALTER TABLE "ObjectMapping" ADD COLUMN     "deletes" JSONB;

-- AlterTable
ALTER TABLE "Link" ADD COLUMN     "salesforceDeletedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "SyncConflict" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "salesforceObject" TEXT NOT NULL,
    "salesforceId" TEXT NOT NULL,
    "fields" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "jobId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "SyncConflict_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SyncConflict_connectionId_salesforceId_idx" ON "SyncConflict"("connectionId", "salesforceId");

-- CreateIndex
CREATE INDEX "SyncConflict_workspaceId_status_createdAt_idx" ON "SyncConflict"("workspaceId", "status", "createdAt");

-- AddForeignKey
ALTER TABLE "SyncConflict" ADD CONSTRAINT "SyncConflict_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;
