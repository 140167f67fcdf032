module example.com/malformedsuppression

go 1.22
