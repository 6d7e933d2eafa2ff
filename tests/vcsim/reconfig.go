package main

import (
	"fmt"
	"sort"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

func find(kind, name string) mo.Entity {
	for _, e := range simulator.Map.All(kind) {
		if e.Entity().Name == name {
			return e
		}
	}
	return nil
}

func vm(name string) *simulator.VirtualMachine {
	if e := find("VirtualMachine", name); e != nil {
		return e.(*simulator.VirtualMachine)
	}
	return nil
}

func addDevice(v *simulator.VirtualMachine, d types.BaseVirtualDevice) {
	v.Config.Hardware.Device = append(v.Config.Hardware.Device, d)
}

// reconfigure sets what tests/cli/vcenter.sh checks (it needs -clusters 2 -vms 4).
func reconfigure() error {
	c0, c1 := find("ClusterComputeResource", "DC0_C0"), find("ClusterComputeResource", "DC0_C1")
	if c0 == nil || c1 == nil {
		return fmt.Errorf("reconfigure: needs clusters DC0_C0 and DC0_C1")
	}
	cfg := c0.(*simulator.ClusterComputeResource).ConfigurationEx.(*types.ClusterConfigInfoEx)
	cfg.DrsConfig.Enabled = types.NewBool(true)
	cfg.DrsConfig.DefaultVmBehavior = types.DrsBehaviorManual
	cfg.DasConfig.Enabled = types.NewBool(true)
	cfg.DasConfig.AdmissionControlEnabled = types.NewBool(true)
	cfg.DasConfig.AdmissionControlPolicy = &types.ClusterFailoverResourcesAdmissionControlPolicy{
		CpuFailoverResourcesPercent: 25, MemoryFailoverResourcesPercent: 30}
	cfg.VsanConfigInfo = &types.VsanClusterConfigInfo{Enabled: types.NewBool(true)}
	cfg1 := c1.(*simulator.ClusterComputeResource).ConfigurationEx.(*types.ClusterConfigInfoEx)
	cfg1.DrsConfig.Enabled = types.NewBool(false)
	cfg1.DasConfig.Enabled = types.NewBool(false)

	h0 := find("HostSystem", "DC0_C0_H0").(*simulator.HostSystem)
	h0.Config.Product.Version, h0.Config.Product.Build = "7.0.3", "21930508"
	h0.Summary.Config.Product = &h0.Config.Product
	h1 := find("HostSystem", "DC0_C0_H1").(*simulator.HostSystem)
	h1.Runtime.InMaintenanceMode = true
	h2 := find("HostSystem", "DC0_C0_H2").(*simulator.HostSystem)
	if h2.Capability == nil {
		h2.Capability = &types.HostCapability{}
	}
	h2.Capability.TpmSupported = types.NewBool(true)
	h2.Capability.TpmVersion = "2.0"

	names := []string{"DC0_C0_RP0_VM0", "DC0_C0_RP0_VM1", "DC0_C0_RP0_VM2", "DC0_C0_RP0_VM3",
		"DC0_C1_RP0_VM0", "DC0_C1_RP0_VM1", "DC0_C1_RP0_VM2", "DC0_C1_RP0_VM3"}
	v := make([]*simulator.VirtualMachine, len(names))
	for i, n := range names {
		if v[i] = vm(n); v[i] == nil {
			return fmt.Errorf("reconfigure: no VM %s", n)
		}
	}
	addDevice(v[0], &types.VirtualPCIPassthrough{VirtualDevice: types.VirtualDevice{Key: 13000,
		Backing: &types.VirtualPCIPassthroughDeviceBackingInfo{Id: "0000:3b:00.0"}}})
	v[1].Runtime.FaultToleranceState = types.VirtualMachineFaultToleranceStateRunning
	v[1].Config.FtInfo = &types.FaultTolerancePrimaryConfigInfo{
		FaultToleranceConfigInfo: types.FaultToleranceConfigInfo{Role: 1}}
	addDevice(v[2], &types.VirtualSriovEthernetCard{VirtualEthernetCard: types.VirtualEthernetCard{
		VirtualDevice: types.VirtualDevice{Key: 4100}}})
	v[2].Config.MemoryAllocation.Reservation = types.NewInt64(16)
	addDevice(v[3], &types.VirtualLsiLogicSASController{VirtualSCSIController: types.VirtualSCSIController{
		VirtualController: types.VirtualController{BusNumber: 1, VirtualDevice: types.VirtualDevice{Key: 1001}},
		SharedBus:         types.VirtualSCSISharingPhysicalSharing}})
	addDevice(v[4], &types.VirtualPCIPassthrough{VirtualDevice: types.VirtualDevice{Key: 13001,
		Backing: &types.VirtualPCIPassthroughVmiopBackingInfo{Vgpu: "grid_a100-4c"}}})
	for _, d := range v[5].Config.Hardware.Device {
		if disk, ok := d.(*types.VirtualDisk); ok {
			disk.Backing.(*types.VirtualDiskFlatVer2BackingInfo).Sharing = "sharingMultiWriter"
		}
	}
	v[6].Config.GuestId = "crxPod1Guest"
	v[7].Runtime.PowerState = types.VirtualMachinePowerStatePoweredOff
	v[7].Summary.Runtime.PowerState = types.VirtualMachinePowerStatePoweredOff
	return nil
}

// printCounts prints what the server holds, for the test to compare.
func printCounts() {
	for _, k := range []string{"ClusterComputeResource", "ComputeResource", "HostSystem", "VirtualMachine"} {
		fmt.Printf("count %s %d\n", k, len(simulator.Map.All(k)))
	}
	var on []string
	for _, e := range simulator.Map.All("VirtualMachine") {
		if e.(*simulator.VirtualMachine).Runtime.PowerState == types.VirtualMachinePowerStatePoweredOn {
			on = append(on, e.Entity().Name)
		}
	}
	sort.Strings(on)
	fmt.Printf("count poweredOn %d\n", len(on))
}
