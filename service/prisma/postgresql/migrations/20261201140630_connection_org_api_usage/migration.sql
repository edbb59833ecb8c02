-- AlterTable
ALTER TABLE "Connection" ADD COLUMN     "orgApiLimit" INTEGER,
ADD COLUMN     "orgApiUsageAt" TIMESTAMP(3),
ADD COLUMN     "orgApiUsed" INTEGER;
