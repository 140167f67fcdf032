module example.com/map-cleared-by-delete-loop/go120

go 1.20
