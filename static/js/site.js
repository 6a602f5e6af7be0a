// Our own script: small, loaded with defer, no inline code (the CSP allows only 'self').
