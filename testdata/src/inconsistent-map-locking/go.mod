module example.com/inconsistent-map-locking

go 1.22
