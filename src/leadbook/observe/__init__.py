"""What an operator watches: structured logs with request ids, and Prometheus metrics."""
