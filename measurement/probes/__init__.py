"""What takes readings, each from where it must: memory from outside the
measured process (watcher), queries and S3 requests inside it
(counting_manage), CPU time of the machine and of processes (cpu_use), and a
bounded load on a page (load_clients)."""
