import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fake `/sys` + `/dev` for camera discovery tests: USB UVC cameras (with vendor/product/serial
 * under a USB device folder) and v4l2loopback devices (under `devices/virtual`), plugged and
 * unplugged by rewriting the tree the way the kernel does.
 */
export class FakeSysfs {
  private constructor(
    readonly sysRoot: string,
    readonly devRoot: string,
    private readonly root: string,
  ) {}

  static async create(): Promise<FakeSysfs> {
    const root = await mkdtemp(join(tmpdir(), 'kycd-fake-sysfs-'));
    const sys = join(root, 'sys');
    const dev = join(root, 'dev');
    await mkdir(join(sys, 'class/video4linux'), { recursive: true });
    await mkdir(join(sys, 'bus/usb/drivers/uvcvideo'), { recursive: true });
    await mkdir(join(sys, 'bus/platform/drivers/v4l2loopback'), { recursive: true });
    await mkdir(dev, { recursive: true });
    return new FakeSysfs(sys, dev, root);
  }

  /** Plug a USB UVC camera in as `/dev/<node>`. */
  async plugUsb(
    node: string,
    camera: { name: string; vendorId: string; productId: string; serial?: string; port?: string },
  ): Promise<void> {
    const usbDev = join(
      this.sysRoot,
      'devices/pci0000:00/usb1',
      camera.port ?? `1-${node.slice(5)}`,
    );
    const iface = join(usbDev, `${camera.port ?? `1-${node.slice(5)}`}:1.0`);
    await mkdir(join(iface, 'video4linux', node), { recursive: true });
    await writeFile(join(usbDev, 'idVendor'), `${camera.vendorId}\n`);
    await writeFile(join(usbDev, 'idProduct'), `${camera.productId}\n`);
    if (camera.serial !== undefined) await writeFile(join(usbDev, 'serial'), `${camera.serial}\n`);
    await rm(join(iface, 'driver'), { force: true });
    await symlink(join(this.sysRoot, 'bus/usb/drivers/uvcvideo'), join(iface, 'driver'));
    await this.addClassEntry(node, camera.name, iface);
  }

  /** Create a v4l2loopback device as `/dev/<node>` (what `modprobe v4l2loopback video_nr=N` does). */
  async plugLoopback(node: string, name: string): Promise<void> {
    const dev = join(this.sysRoot, 'devices/virtual/video4linux', node);
    await mkdir(dev, { recursive: true });
    await rm(join(dev, 'driver'), { force: true });
    await symlink(join(this.sysRoot, 'bus/platform/drivers/v4l2loopback'), join(dev, 'driver'));
    await this.addClassEntry(node, name, dev);
  }

  /** Remove `/dev/<node>` and its sysfs entries (unplug / module unload). */
  async unplug(node: string): Promise<void> {
    await rm(join(this.sysRoot, 'class/video4linux', node), { recursive: true, force: true });
    await rm(join(this.devRoot, node), { force: true });
  }

  async dispose(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }

  private async addClassEntry(node: string, name: string, deviceDir: string): Promise<void> {
    const cls = join(this.sysRoot, 'class/video4linux', node);
    await rm(cls, { recursive: true, force: true });
    await mkdir(cls, { recursive: true });
    await writeFile(join(cls, 'name'), `${name}\n`);
    await symlink(deviceDir, join(cls, 'device'));
    await writeFile(join(this.devRoot, node), '');
  }
}
