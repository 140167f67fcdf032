module example.com/oversized-map-value

go 1.22
