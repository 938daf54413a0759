"""The one MB of the project's messages, pages and reports: 2^20 bytes."""

MB = 1024 * 1024
