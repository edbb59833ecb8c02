-- AlterTable
ALTER TABLE "Link" ADD COLUMN     "salesforceModstamp" TIMESTAMP(3);
