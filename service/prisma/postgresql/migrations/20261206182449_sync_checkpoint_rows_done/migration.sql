-- AlterTable
ALTER TABLE "SyncCheckpoint" ADD COLUMN     "rowsDone" INTEGER NOT NULL DEFAULT 0;
