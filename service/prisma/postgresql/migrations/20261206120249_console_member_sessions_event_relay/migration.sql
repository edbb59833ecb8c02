-- AlterTable
ALTER TABLE "ConsoleSignInLink" ADD COLUMN     "memberId" TEXT;

-- AlterTable
ALTER TABLE "ConsoleSession" ADD COLUMN     "memberId" TEXT;

-- CreateTable
CREATE TABLE "RelayedEventBatch" (
    "id" TEXT NOT NULL,
    "origin" TEXT NOT NULL,
    "events" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RelayedEventBatch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RelayedEventBatch_createdAt_idx" ON "RelayedEventBatch"("createdAt");

-- CreateIndex
CREATE INDEX "ConsoleSignInLink_memberId_idx" ON "ConsoleSignInLink"("memberId");

-- CreateIndex
CREATE INDEX "ConsoleSession_memberId_idx" ON "ConsoleSession"("memberId");

-- AddForeignKey
ALTER TABLE "ConsoleSignInLink" ADD CONSTRAINT "ConsoleSignInLink_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "WorkspaceMember"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsoleSession" ADD CONSTRAINT "ConsoleSession_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "WorkspaceMember"("id") ON DELETE CASCADE ON UPDATE CASCADE;
