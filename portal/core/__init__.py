"""What every domain shares and none owns: the clock, transactions, rendering, audit, mail, masking, checks."""
