"""Mail adapters: SMTP through aiosmtplib."""
