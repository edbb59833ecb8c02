-- AlterTable
ALTER TABLE "Connection" ADD COLUMN     "outboundMessageSecretHash" TEXT;
