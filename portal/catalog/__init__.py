"""The 主动公开 catalog: publishing entries (services), attachments, and the file importer."""
