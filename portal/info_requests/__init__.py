"""依申请公开, both faces: events, the deadline engine, outcomes, services, letters; applicant/ and staff/ views."""
