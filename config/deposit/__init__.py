"""The citizen's digital deposit (الإيداع الرقمي / dépôt électronique): a public form at /depot/,
a sealed receipt, and a tracking page. The register's side is ``archive.deposits``."""
