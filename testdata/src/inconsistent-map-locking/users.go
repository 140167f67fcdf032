package api

import (
	"context"
	"errors"
	"sync"
)

// gRPC-style service. users is declared before mu, with no annotation: the
// guard is inferred from the accesses (5 of 6 hold s.mu).
type GetUserRequest struct{ ID string }
type GetUserResponse struct{ Name, Email string }
type CreateUserRequest struct{ ID, Name, Email string }
type CreateUserResponse struct{}
type DeleteUserRequest struct{ ID string }
type DeleteUserResponse struct{}
type ListUsersRequest struct{}
type ListUsersResponse struct{ Names []string }
type CountUsersRequest struct{}
type CountUsersResponse struct{ N int }

type userRecord struct{ name, email string }

type userService struct {
	users map[string]userRecord
	mu    sync.RWMutex
}

func (s *userService) CreateUser(ctx context.Context, req *CreateUserRequest) (*CreateUserResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[req.ID]; ok {
		return nil, errors.New("already exists")
	}
	s.users[req.ID] = userRecord{name: req.Name, email: req.Email}
	return &CreateUserResponse{}, nil
}

func (s *userService) DeleteUser(ctx context.Context, req *DeleteUserRequest) (*DeleteUserResponse, error) {
	s.mu.Lock()
	delete(s.users, req.ID)
	s.mu.Unlock()
	return &DeleteUserResponse{}, nil
}

func (s *userService) ListUsers(ctx context.Context, _ *ListUsersRequest) (*ListUsersResponse, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	names := make([]string, 0, len(s.users))
	for _, u := range s.users {
		names = append(names, u.name)
	}
	return &ListUsersResponse{Names: names}, nil
}

func (s *userService) CountUsers(ctx context.Context, _ *CountUsersRequest) (*CountUsersResponse, error) {
	s.mu.RLock()
	n := len(s.users)
	s.mu.RUnlock()
	return &CountUsersResponse{N: n}, nil
}

// The one access out of six without the lock.
func (s *userService) GetUser(ctx context.Context, req *GetUserRequest) (*GetUserResponse, error) {
	u, ok := s.users[req.ID] // want "s.users is guarded by s.mu"
	if !ok {
		return nil, errors.New("not found")
	}
	return &GetUserResponse{Name: u.name, Email: u.email}, nil
}
