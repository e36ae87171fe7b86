// Command expressconnect is the command line of the expressconnect package for network
// operators: it creates, reads, waits for, updates, terminates, cancels and deletes the hosted
// connections an Express Connect partner sells to tenants on its circuits, with the aliyun
// CLI's conventions (--profile, --region, JSON output) and one exit status per kind of failure.
//
// # Install
//
// The command is a Go module of its own, nested in the repository, so that the
// expressconnect package's go.mod does not depend on cobra. From a clone:
//
//	cd cmd/expressconnect && go install .
//
// Its go.mod replaces the expressconnect module with the clone's root (../..), so the command
// is built with the package beside it. go install ...@version refuses a module whose go.mod
// has a replace directive, so a release of the command drops it: the release tags the
// package (vX.Y.Z), then sets cmd/expressconnect/go.mod to require that tag without the
// replace and tags the command's module (cmd/expressconnect/vX.Y.Z). From then on
//
//	go install github.com/expressconnect-go/expressconnect/cmd/expressconnect@latest
//
// installs the latest tagged command, built with the package version it requires.
//
// # Usage
//
//	expressconnect create --circuit pc-bp1... --tenant 1210123456789012 --vlan 100 \
//	    --spec 100M --order-mode PayByPhysicalConnectionOwner --wait accepted
//	expressconnect list --circuit pc-bp1... --output table
//	expressconnect update --id pc-bp1abc... --vlan 200
//	expressconnect terminate --circuit pc-bp1... --id pc-bp1abc... --wait terminated
//	expressconnect delete --circuit pc-bp1... --id pc-bp1abc... --wait gone
//
// expressconnect -h tells where the credentials and the region come from, the names of the
// output's fields, the JSON of errors and the exit statuses; each command's -h lists its flags.
// expressconnect completion bash|zsh|fish|powershell prints a shell completion script.
package main
