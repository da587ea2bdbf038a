"""The portal started as a real server process for browser tests (the harness is shared with the benchmarks)."""
from bench.harness import PROJECT_DIR, PortalServer, free_port, start_portal, stop_process

__all__ = ['PROJECT_DIR', 'PortalServer', 'free_port', 'start_portal', 'stop_process']
