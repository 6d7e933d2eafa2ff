// vcsim for lpsim's tests: govmomi's vCenter simulator on 127.0.0.1 with a
// caller-made TLS certificate, credentials from VCSIM_USER/VCSIM_PASSWORD,
// a paging PropertyCollector (pager.go), a few objects reconfigured
// (reconfig.go) and faults on request (faults.go). Prints "URL <url>" and
// the inventory's counts on stdout, then serves until SIGTERM/SIGINT, and
// prints "logins N logouts M continues K" on exit.
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"os/signal"
	"syscall"

	"github.com/vmware/govmomi/simulator"
)

func main() {
	cert := flag.String("cert", "", "PEM certificate for 127.0.0.1")
	key := flag.String("key", "", "PEM private key")
	clusters := flag.Int("clusters", 2, "clusters")
	hosts := flag.Int("hosts", 3, "hosts per cluster")
	vms := flag.Int("vms", 2, "VMs per cluster (and per standalone host)")
	standalone := flag.Int("standalone", 1, "standalone hosts")
	reconfig := flag.Bool("reconfig", false, "reconfigure objects for the tests (reconfig.go)")
	fault := flag.String("fault", "", "hang | truncate: a fault on RetrievePropertiesEx")
	flag.StringVar(&denied, "deny", "", "a property path reported as missing (NoPermission)")
	flag.Parse()
	log.SetFlags(0)

	m := simulator.VPX()
	m.Cluster, m.ClusterHost, m.Machine, m.Host = *clusters, *hosts, *vms, *standalone
	defer m.Remove()
	if err := m.Create(); err != nil {
		log.Fatal(err)
	}
	installPager(m)
	if *reconfig {
		if err := reconfigure(); err != nil {
			log.Fatal(err)
		}
	}
	pair, err := tls.LoadX509KeyPair(*cert, *key)
	if err != nil {
		log.Fatal(err)
	}
	m.Service.TLS = &tls.Config{Certificates: []tls.Certificate{pair}}
	m.Service.Listen = &url.URL{Host: "127.0.0.1:0",
		User: url.UserPassword(os.Getenv("VCSIM_USER"), os.Getenv("VCSIM_PASSWORD"))}
	s := m.Service.NewServer()
	defer s.Close()
	c := &counter{next: s.Server.Config.Handler, fault: *fault}
	s.Server.Config.Handler = c

	u := *s.URL
	u.User = nil
	fmt.Printf("URL %s\n", u.String())
	printCounts()
	os.Stdout.Sync()

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	fmt.Printf("logins %d logouts %d continues %d\n", c.logins(), c.logouts(), c.continues())
}
