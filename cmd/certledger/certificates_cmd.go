package main

import "context"

// CertificatesCmd lists the certificate inventory.
type CertificatesCmd struct {
	ServerName string `name:"server-name" placeholder:"NAME" help:"Only this server's certificates."`
}

func (c *CertificatesCmd) Run(g *Globals, env *Env) error {
	ctx := context.Background()
	st, m, err := openModel(ctx, g, env)
	if err != nil {
		return err
	}
	defer st.Close()
	return render(env.Stdout, g.Output, m.Certificates(c.ServerName))
}
