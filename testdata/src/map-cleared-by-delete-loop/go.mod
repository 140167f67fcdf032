module example.com/map-cleared-by-delete-loop

go 1.22
