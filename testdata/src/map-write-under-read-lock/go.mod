module example.com/map-write-under-read-lock

go 1.22
