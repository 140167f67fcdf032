module example.com/vettool

go 1.22
