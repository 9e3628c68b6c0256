"""The office's working-day calendar: counting (pure), the stored calendar, changes to it, CLI, staff pages."""
