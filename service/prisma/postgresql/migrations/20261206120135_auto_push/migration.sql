-- AlterTable
ALTER TABLE "ObjectMapping" ADD COLUMN     "autoPush" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "AutoPushState" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "holderId" TEXT,
    "expiresAt" TIMESTAMP(3),
    "cursors" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AutoPushState_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AutoPushState_connectionId_key" ON "AutoPushState"("connectionId");

-- CreateIndex
CREATE INDEX "PryzmRecord_workspaceId_recordTypeId_updatedAt_idx" ON "PryzmRecord"("workspaceId", "recordTypeId", "updatedAt");

-- AddForeignKey
ALTER TABLE "AutoPushState" ADD CONSTRAINT "AutoPushState_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;
