/*
 * Sets the port status of the guest's USB printer gadget (GADGET_SET_PRINTER_STATUS, see
 * linux/usb/g_printer.h): the byte the host reads with the printer class GET_PORT_STATUS request.
 * Node has no ioctl(), and /dev/g_printer0 opens only once, so the HIL printer rig passes its open
 * descriptor as this program's stdin. Usage: g-printer-status <byte>, e.g. g-printer-status 0x18.
 */
#include <linux/usb/g_printer.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: g-printer-status <status byte> < /dev/g_printer0\n");
    return 2;
  }
  unsigned long status = strtoul(argv[1], NULL, 0);
  if (ioctl(0, GADGET_SET_PRINTER_STATUS, status) < 0) {
    perror("GADGET_SET_PRINTER_STATUS");
    return 1;
  }
  return 0;
}
