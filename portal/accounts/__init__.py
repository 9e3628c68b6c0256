"""Staff accounts: sign-in, roles and the guard every staff view declares, account services, CLI, pages."""
