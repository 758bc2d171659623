"""`bench-agent run`: the long-running bench daemon (heartbeat, outbox sender, disk hotplug)."""
