module example.com/map-capacity-unhinted

go 1.22
