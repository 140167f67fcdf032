module example.com/unusedsuppression

go 1.22
