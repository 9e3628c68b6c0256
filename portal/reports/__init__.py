"""The annual report (政府信息公开工作年度报告): computation, export and publishing."""
