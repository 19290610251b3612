"""Bulk import of the deployment plan from CSV and XLSX files: read, resolve, preview, apply."""
