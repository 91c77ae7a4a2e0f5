package account

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// RefreshGraceWindow is how long after a rotation the rotated refresh
// token is still answered, with the very pair its rotation issued. A
// reload while a refresh is in flight (or two tabs refreshing at once)
// presents the token a moment after the other request rotated it; without
// the window that looks like theft and ends the session. Long enough for
// a slow reload, short enough that a stolen old token is rarely inside it.
const RefreshGraceWindow = 30 * time.Second

// successorPair is what a rotation issued, kept so the rotated token can
// be answered with it again during RefreshGraceWindow.
type successorPair struct {
	AccessToken           string    `json:"a"`
	AccessTokenExpiresAt  time.Time `json:"ae"`
	RefreshToken          string    `json:"r"`
	RefreshTokenExpiresAt time.Time `json:"re"`
	// ClientAddr is the client key of the request that rotated: only the
	// same client gets the pair again.
	ClientAddr string `json:"c"`
}

// graceAEAD is the cipher that seals a rotated token's successor pair. Its
// key is derived from the rotated token, which is stored only as a hash
// under another derivation, so the database alone cannot open the pair.
func graceAEAD(rotatedToken string) (cipher.AEAD, error) {
	key := sha256.Sum256([]byte("werkwijzer refresh grace\x00" + rotatedToken))
	block, err := aes.NewCipher(key[:])
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// sealSuccessor encrypts pair for the row tokenID of rotatedToken.
func sealSuccessor(rotatedToken, tokenID string, pair successorPair) ([]byte, error) {
	plain, err := json.Marshal(pair)
	if err != nil {
		return nil, fmt.Errorf("seal successor: %w", err)
	}
	aead, err := graceAEAD(rotatedToken)
	if err != nil {
		return nil, fmt.Errorf("seal successor: %w", err)
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("seal successor: %w", err)
	}
	return aead.Seal(nonce, nonce, plain, []byte(tokenID)), nil
}

// openSuccessor decrypts what sealSuccessor sealed; any tampering, another
// token or another row is an error.
func openSuccessor(rotatedToken, tokenID string, sealed []byte) (successorPair, error) {
	aead, err := graceAEAD(rotatedToken)
	if err != nil {
		return successorPair{}, err
	}
	if len(sealed) < aead.NonceSize() {
		return successorPair{}, errors.New("sealed successor is too short")
	}
	nonce, box := sealed[:aead.NonceSize()], sealed[aead.NonceSize():]
	plain, err := aead.Open(nil, nonce, box, []byte(tokenID))
	if err != nil {
		return successorPair{}, err
	}
	var pair successorPair
	if err := json.Unmarshal(plain, &pair); err != nil {
		return successorPair{}, err
	}
	return pair, nil
}
