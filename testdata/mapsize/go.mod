module mapguard.test/mapsize

go 1.23
