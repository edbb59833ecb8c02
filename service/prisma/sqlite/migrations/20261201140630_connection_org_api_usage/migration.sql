-- AlterTable
ALTER TABLE "Connection" ADD COLUMN "orgApiLimit" INTEGER;
ALTER TABLE "Connection" ADD COLUMN "orgApiUsageAt" DATETIME;
ALTER TABLE "Connection" ADD COLUMN "orgApiUsed" INTEGER;
