import { CreateDevice, createDevice } from '../../domain/devices/createDevice.ts';
import { DeleteDevice, deleteDevice } from '../../domain/devices/deleteDevice.ts';
import { GetCallflow, getCallflow } from '../../domain/devices/getCallflow.ts';
import { GetDevice, getDevice } from '../../domain/devices/getDevice.ts';
import { ListDevices, listDevices } from '../../domain/devices/listDevices.ts';
import { UpdateCallflow, updateCallflow } from '../../domain/devices/updateCallflow.ts';
import { UpdateDevice, updateDevice } from '../../domain/devices/updateDevice.ts';
import { SetDeviceCallerIdPools, setDeviceCallerIdPools } from '../../domain/numberPools/callerIdSources.ts';
import { idAs, strict } from '../input.ts';
import { authed, router } from '../trpc.ts';

/** Devices (devices_get, device_details_get, device_create/update/delete, call flows). */
export const devicesRouter = router({
  /** A user's devices with credentials; `showHidden: false` leaves out Block-and-Hide devices. */
  list: authed.input(strict(ListDevices)).query(({ ctx, input }) => listDevices(ctx.ctx, input)),
  /** Every column of one device (by id, or by username) plus its codecs. */
  get: authed.input(idAs(GetDevice, 'deviceId')).query(({ ctx, input }) => getDevice(ctx.ctx, input)),
  /** A username/password device with a strong random password; answers id, username and password. */
  create: authed.input(strict(CreateDevice)).mutation(({ ctx, input }) => createDevice(ctx.ctx, input)),
  /** Changes the sent fields; all problems are reported together and nothing is saved on any. */
  update: authed.input(idAs(UpdateDevice, 'deviceId')).mutation(({ ctx, input }) => updateDevice(ctx.ctx, input)),
  delete: authed.input(idAs(DeleteDevice, 'deviceId')).mutation(({ ctx, input }) => deleteDevice(ctx.ctx, input)),
  /** The six call-flow states of a device. */
  callflow: authed.input(idAs(GetCallflow, 'deviceId')).query(({ ctx, input }) => getCallflow(ctx.ctx, input)),
  /** Sets the action of one editable state; answers that state. */
  updateCallflow: authed
    .input(idAs(UpdateCallflow, 'deviceId'))
    .mutation(({ ctx, input }) => updateCallflow(ctx.ctx, input)),
  /** The number pools its calls present a CallerID from (null clears one); answers all three. */
  setCallerIdPools: authed
    .input(idAs(SetDeviceCallerIdPools, 'deviceId'))
    .mutation(({ ctx, input }) => setDeviceCallerIdPools(ctx.ctx, input)),
});
