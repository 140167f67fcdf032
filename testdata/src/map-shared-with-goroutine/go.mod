module example.com/map-shared-with-goroutine

go 1.25
