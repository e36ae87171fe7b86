package expressconnecttest

// MaxPageTokens is how many NextTokens a server remembers: the last ones it issued. A
// NextToken older than that is answered IllegalParam.NextToken, as one the server never
// issued.
const MaxPageTokens = 1000

// pageTokenLen is the length of a NextToken: random lower-case letters and digits.
const pageTokenLen = 32

// page is what a NextToken stands for: the filters of the request that got it and where the
// next page starts.
type page struct {
	// fingerprint is the request's filters (see listInput.fingerprint).
	fingerprint string
	// position is the index, in order of creation, of the first hosted connection of the
	// next page.
	position int
}

// pageTokens are the NextTokens a server issued, the oldest dropped first once there are
// max of them. A token can be used any number of times, so that a retried List call gets the
// same page.
type pageTokens struct {
	max     int
	byToken map[string]page
	order   []string // in order of issue
}

func newPageTokens(max int) pageTokens {
	return pageTokens{max: max, byToken: map[string]page{}}
}

// issue returns a new NextToken for p.
func (pt *pageTokens) issue(p page) string {
	if len(pt.order) == pt.max {
		delete(pt.byToken, pt.order[0])
		pt.order = pt.order[1:]
	}
	token := randomString(idAlphabet, pageTokenLen)
	pt.byToken[token] = p
	pt.order = append(pt.order, token)
	return token
}

// lookup returns the page token stands for, if the server issued it and still remembers it.
func (pt *pageTokens) lookup(token string) (page, bool) {
	p, ok := pt.byToken[token]
	return p, ok
}
