module example.com/lock-precondition-unmet

go 1.22
