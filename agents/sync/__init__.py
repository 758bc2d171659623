"""The bench's link to the server: enrollment, the outbox sender, `status` and `sync`."""
