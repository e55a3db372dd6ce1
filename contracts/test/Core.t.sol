// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {StrategyManager} from "../src/core/StrategyManager.sol";
import {StakeRegistry} from "../src/middleware/StakeRegistry.sol";
import {SigUtils} from "../src/utils/SigUtils.sol";
import {RegistryCoordinator} from "../src/middleware/RegistryCoordinator.sol";
import {Pausable} from "../src/utils/Pausable.sol";
import {Ownable} from "../src/utils/Ownable.sol";
import {Initializable} from "../src/utils/Initializable.sol";
import {IndexRegistry} from "../src/middleware/IndexRegistry.sol";
import {DelegationManager} from "../src/core/DelegationManager.sol";
import {BLSApkRegistry} from "../src/middleware/BLSApkRegistry.sol";
import {AVSDirectory} from "../src/core/AVSDirectory.sol";
import {IBLSSignatureChecker} from "../src/interfaces/IBLSSignatureChecker.sol";
import {Fixture, IProxyAdminOps} from "./Fixture.sol";
import {G2} from "./G2.sol";
import {BN254} from "../src/libraries/BN254.sol";
import {BLSSignatureChecker} from "../src/middleware/BLSSignatureChecker.sol";
import {OperatorStateRetriever} from "../src/middleware/OperatorStateRetriever.sol";
import {IMultiProverServiceManager} from "../src/interfaces/IMultiProverServiceManager.sol";
import {MultiProverServiceManager} from "../src/avs/MultiProverServiceManager.sol";
import {StrategyBase} from "../src/core/StrategyBase.sol";
import {IERC20} from "../src/interfaces/IERC20.sol";
import {IStrategy} from "../src/interfaces/IStrategy.sol";
import {IDelegationManager} from "../src/interfaces/IDelegationManager.sol";
import {IRegistryCoordinator} from "../src/interfaces/IRegistryCoordinator.sol";
import {IStakeRegistry} from "../src/interfaces/IStakeRegistry.sol";
import {IBLSApkRegistry} from "../src/interfaces/IBLSApkRegistry.sol";
import {ISignatureUtils} from "../src/interfaces/ISignatureUtils.sol";

contract CoreTest is Fixture {
    // ---------------------------------------------------------------- core

    function test_coreReverts() external {
        deployStack(false);
        Op memory o = makeOp(0x1111, 5);
        token.transfer(o.addr, 10 ether);
        // deposit into a non-whitelisted strategy
        StrategyBase other = StrategyBase(_proxy());
        vm.startPrank(o.addr);
        token.approve(address(strategyManager), 10 ether);
        vm.expectRevert(StrategyManager.StrategyNotWhitelisted.selector);
        strategyManager.depositIntoStrategy(IStrategy(address(other)), IERC20(address(token)), 1 ether);
        // deposit before registering: shares are credited once the operator self-delegates
        strategyManager.depositIntoStrategy(strategy, IERC20(address(token)), 2 ether);
        assertEq(strategyManager.stakerStrategyShares(o.addr, strategy), 2 ether, "shares");
        delegation.registerAsOperator(IDelegationManager.OperatorDetails(o.addr, address(0), 0), "uri");
        assertEq(delegation.operatorShares(o.addr, strategy), 2 ether, "operator shares include prior deposits");
        assertTrue(delegation.isOperator(o.addr), "isOperator");
        vm.expectRevert(DelegationManager.ActivelyDelegated.selector);
        delegation.registerAsOperator(IDelegationManager.OperatorDetails(o.addr, address(0), 0), "uri");
        // deposits after registration increase operator shares
        strategyManager.depositIntoStrategy(strategy, IERC20(address(token)), 3 ether);
        assertEq(delegation.operatorShares(o.addr, strategy), 5 ether, "operator shares after deposit");
        vm.expectRevert(DelegationManager.OnlyStrategyManagerOrEigenPodManager.selector);
        delegation.increaseDelegatedShares(o.addr, strategy, 1);
        vm.expectRevert(StrategyBase.OnlyStrategyManager.selector);
        strategy.deposit(IERC20(address(token)), 1);
        vm.stopPrank();
        // a staker delegating to the operator adds its shares
        address staker = address(0x5151);
        token.transfer(staker, 1 ether);
        vm.startPrank(staker);
        token.approve(address(strategyManager), 1 ether);
        strategyManager.depositIntoStrategy(strategy, IERC20(address(token)), 1 ether);
        delegation.delegateTo(o.addr, ISignatureUtils.SignatureWithExpiry("", 0), bytes32(0));
        vm.stopPrank();
        assertEq(delegation.operatorShares(o.addr, strategy), 6 ether, "delegated shares");
        assertEq(strategy.sharesToUnderlyingView(6 ether), 6 ether, "1:1 share price");
        assertEq(delegation.minWithdrawalDelayBlocks(), 50400, "minWithdrawalDelayBlocks");
        // whitelister / owner gates
        IStrategy[] memory ss = new IStrategy[](1);
        ss[0] = strategy;
        vm.expectRevert(StrategyManager.OnlyStrategyWhitelister.selector);
        vm.prank(o.addr);
        strategyManager.addStrategiesToDepositWhitelist(ss, new bool[](1));
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, o.addr));
        vm.prank(o.addr);
        delegation.setMinWithdrawalDelayBlocks(1);
        // pausing deposits (bit 0) through the pauser registry
        strategyManager.pause(1);
        vm.expectRevert(Pausable.CurrentlyPaused.selector);
        strategyManager.depositIntoStrategy(strategy, IERC20(address(token)), 1);
        vm.expectRevert(Pausable.InvalidNewPausedStatus.selector);
        strategyManager.pause(0);
        vm.expectRevert(Pausable.OnlyUnpauser.selector);
        vm.prank(o.addr);
        strategyManager.unpause(0);
        strategyManager.unpause(0);
        // initializers are one-shot, implementations locked
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        strategyManager.initialize(address(this), address(this), pauserRegistry, 0);
    }

    function test_avsDirectoryReverts() external {
        deployStack(false);
        Op memory o = makeOp(0x2222, 6);
        fundAndDelegate(o, 1 ether);
        ISignatureUtils.SignatureWithSaltAndExpiry memory s = avsSignature(o, bytes32(uint256(9)));
        // the AVS is msg.sender: a signature for the service manager does not verify for another caller
        vm.expectRevert(SigUtils.SignatureNotFromSigner.selector);
        avsDirectory.registerOperatorToAVS(o.addr, s);
        vm.prank(address(sm));
        avsDirectory.registerOperatorToAVS(o.addr, s);
        vm.expectRevert(AVSDirectory.OperatorAlreadyRegisteredToAVS.selector);
        vm.prank(address(sm));
        avsDirectory.registerOperatorToAVS(o.addr, s);
        vm.prank(address(sm));
        avsDirectory.deregisterOperatorFromAVS(o.addr);
        vm.expectRevert(AVSDirectory.SaltSpent.selector);
        vm.prank(address(sm));
        avsDirectory.registerOperatorToAVS(o.addr, s);
        vm.expectRevert(AVSDirectory.OperatorNotRegisteredToAVS.selector);
        vm.prank(address(sm));
        avsDirectory.deregisterOperatorFromAVS(o.addr);
        // high-s signatures are rejected (EIP-2)
        ISignatureUtils.SignatureWithSaltAndExpiry memory s2 = avsSignature(o, bytes32(uint256(10)));
        bytes memory sig = s2.signature;
        bytes32 r;
        bytes32 ss;
        uint8 v = uint8(sig[64]);
        assembly {
            r := mload(add(sig, 0x20))
            ss := mload(add(sig, 0x40))
        }
        uint256 n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
        s2.signature = abi.encodePacked(r, bytes32(n - uint256(ss)), v == 27 ? uint8(28) : uint8(27));
        vm.expectRevert(abi.encodeWithSelector(SigUtils.ECDSAInvalidSignatureS.selector, bytes32(n - uint256(ss))));
        vm.prank(address(sm));
        avsDirectory.registerOperatorToAVS(o.addr, s2);
        // EIP-2098 compact form of the original signature is accepted
        ISignatureUtils.SignatureWithSaltAndExpiry memory s3 = avsSignature(o, bytes32(uint256(11)));
        sig = s3.signature;
        v = uint8(sig[64]);
        assembly {
            r := mload(add(sig, 0x20))
            ss := mload(add(sig, 0x40))
        }
        s3.signature = abi.encodePacked(r, bytes32(uint256(ss) | (uint256(v - 27) << 255)));
        vm.prank(address(sm));
        avsDirectory.registerOperatorToAVS(o.addr, s3);
        vm.prank(o.addr);
        avsDirectory.cancelSalt(bytes32(uint256(12)));
        assertTrue(avsDirectory.operatorSaltIsSpent(o.addr, bytes32(uint256(12))), "cancelled salt");
    }

    function test_registryAccessControl() external {
        deployStack(false);
        bytes memory q = hex"00";
        vm.expectRevert(IndexRegistry.OnlyRegistryCoordinator.selector);
        indexRegistry.registerOperator(bytes32(uint256(1)), q);
        vm.expectRevert(StakeRegistry.OnlyRegistryCoordinator.selector);
        stakeRegistry.registerOperator(address(1), bytes32(uint256(1)), q);
        vm.expectRevert(BLSApkRegistry.OnlyRegistryCoordinator.selector);
        blsApkRegistry.registerOperator(address(1), q);
        vm.expectRevert(StakeRegistry.OnlyRegistryCoordinatorOwner.selector);
        vm.prank(address(0xdead));
        stakeRegistry.setMinimumStakeForQuorum(0, 1);
        stakeRegistry.setMinimumStakeForQuorum(0, 2e16);
        assertEq(uint256(stakeRegistry.minimumStakeForQuorum(0)), 2e16, "min stake");
        vm.expectRevert(StakeRegistry.QuorumDoesNotExist.selector);
        stakeRegistry.setMinimumStakeForQuorum(5, 1);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, address(0xdead)));
        vm.prank(address(0xdead));
        rc.createQuorum(IRegistryCoordinator.OperatorSetParam(1, 0, 0), 0, new IStakeRegistry.StrategyParams[](0));
        vm.expectRevert(RegistryCoordinator.OnlyEjector.selector);
        vm.prank(address(0xdead));
        rc.ejectOperator(address(1), q);
        vm.expectRevert(RegistryCoordinator.NotRegistered.selector);
        rc.updateSocket("x");
        vm.expectRevert(RegistryCoordinator.ChurnNotSupported.selector);
        rc.registerOperatorWithChurn(q, "", registrationParamsEmpty(), new IRegistryCoordinator.OperatorKickParam[](0),
            ISignatureUtils.SignatureWithSaltAndExpiry("", 0, 0), ISignatureUtils.SignatureWithSaltAndExpiry("", 0, 0));
        assertEq(rc.numRegistries(), 3, "registries");
        // implementations behind the proxies cannot be initialised directly
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        rc.initialize(address(this), address(this), address(this), pauserRegistry, 0,
            new IRegistryCoordinator.OperatorSetParam[](0), new uint96[](0), new IStakeRegistry.StrategyParams[][](0));
    }

    function registrationParamsEmpty() internal pure returns (IBLSApkRegistry.PubkeyRegistrationParams memory p) {}

    function test_updateOperatorsEjectAndMaxCount() external {
        deployStack(false);
        Op memory a = makeOp(0x3333, 7);
        Op memory b = makeOp(0x4444, 8);
        fundAndDelegate(a, 1 ether);
        fundAndDelegate(b, 1 ether);
        vm.roll(10);
        registerOp(a);
        registerOp(b);
        // raising the minimum stake and refreshing kicks both operators out
        stakeRegistry.setMinimumStakeForQuorum(0, 2 ether);
        vm.roll(11);
        address[] memory ops = new address[](1);
        ops[0] = a.addr;
        rc.updateOperators(ops);
        assertEq(uint256(rc.getOperatorStatus(a.addr)), 2, "a removed below minimum");
        assertEq(uint256(indexRegistry.totalOperatorsForQuorum(0)), 1, "one left");
        // the ejector removes b
        rc.ejectOperator(b.addr, hex"00");
        assertEq(uint256(rc.getOperatorStatus(b.addr)), 2, "b ejected");
        assertEq(uint256(stakeRegistry.getCurrentTotalStake(0)), 0, "no stake left");
        // operator count cap
        stakeRegistry.setMinimumStakeForQuorum(0, 0);
        rc.setOperatorSetParams(0, IRegistryCoordinator.OperatorSetParam(1, 0, 0));
        vm.roll(12);
        ISignatureUtils.SignatureWithSaltAndExpiry memory s = avsSignature(a, bytes32(uint256(77)));
        IBLSApkRegistry.PubkeyRegistrationParams memory p;
        vm.prank(a.addr);
        rc.registerOperator(hex"00", "again", p, s); // key already registered: params ignored
        assertEq(uint256(rc.getOperatorStatus(a.addr)), 1, "a back");
        s = avsSignature(b, bytes32(uint256(78)));
        vm.expectRevert(RegistryCoordinator.MaxOperatorCountReached.selector);
        vm.prank(b.addr);
        rc.registerOperator(hex"00", "again", p, s);
        vm.prank(a.addr);
        rc.updateSocket("new socket");
    }

    // ---------------------------------------------------------------- two quorums

    struct Run {
        Op[] ops;
        uint256[] bitmaps;
    }

    /// @dev confirmState over quorums 0 and 1 where operators belong to 1 or 2 of them: the on-chain apk
    ///      counts each non-signer once per signing quorum, so the signers' apkG2/sigma are weighted too.
    function test_twoQuorums() external {
        deployStack(false);
        IStakeRegistry.StrategyParams[] memory sp = new IStakeRegistry.StrategyParams[](1);
        sp[0] = IStakeRegistry.StrategyParams(strategy, 2 ether); // weight x2 in quorum 1
        rc.createQuorum(IRegistryCoordinator.OperatorSetParam(10, 0, 0), MIN_STAKE, sp);
        sm.addTEEQuorum(IMultiProverServiceManager.TEEQuorum(IMultiProverServiceManager.TEE.INTEL_SGX, 1));
        sm.updateCommittee(IMultiProverServiceManager.Committee(3, "two quorums", "", hex"0001"));
        Run memory run;
        run.ops = new Op[](3);
        run.bitmaps = new uint256[](3);
        run.bitmaps[0] = 3;
        run.bitmaps[1] = 1;
        run.bitmaps[2] = 3;
        vm.roll(50);
        for (uint256 i = 0; i < 3; i++) {
            run.ops[i] = makeOp(0x5000 + i, 900001 + 31 * i);
            fundAndDelegate(run.ops[i], 1 ether);
            IBLSApkRegistry.PubkeyRegistrationParams memory p = registrationParams(run.ops[i]);
            ISignatureUtils.SignatureWithSaltAndExpiry memory s = avsSignature(run.ops[i], bytes32(i));
            vm.prank(run.ops[i].addr);
            rc.registerOperator(run.bitmaps[i] == 3 ? bytes(hex"0001") : bytes(hex"00"), "", p, s);
        }
        vm.roll(60);
        assertEq(uint256(stakeRegistry.getCurrentTotalStake(1)), 4 ether, "quorum 1 total with multiplier 2");
        bool[] memory signs = new bool[](3);
        signs[0] = true;
        signs[1] = true;
        signs[2] = true;
        _confirm2(run, signs, 55, hex"6464");
        signs[0] = false; // non-signer in both quorums: apk term counted twice
        _confirm2(run, signs, 55, hex"3232");
        signs[0] = true;
        signs[1] = false; // non-signer in quorum 0 only
        (IBLSSignatureChecker.QuorumStakeTotals memory t) = _confirm2(run, signs, 55, hex"4242");
        assertEq(uint256(t.signedStakeForQuorum[0]), 2 ether, "q0 signed");
        assertEq(uint256(t.totalStakeForQuorum[0]), 3 ether, "q0 total");
        assertEq(uint256(t.signedStakeForQuorum[1]), 4 ether, "q1 signed");
        // unweighted aggregation (eigensdk-go style) fails when a signer is in two signing quorums
        IBLSSignatureChecker.NonSignerStakesAndSignature memory p2 = _params2(run, signs, 55, false);
        IMultiProverServiceManager.StateHeader memory h = _header2(55, hex"4242");
        bytes32 d = _digest2(h);
        vm.expectRevert(IBLSSignatureChecker.InvalidBLSSignature.selector);
        sm.checkSignatures(d, h.quorumNumbers, 55, p2);
    }

    /// @dev metadata of the next _confirm2 (a (committee, metadata) is confirmed only once)
    bytes internal _meta2 = "m";

    function _header2(uint32 ref, bytes memory thresholds) internal view returns (IMultiProverServiceManager.StateHeader memory h) {
        h.committeeId = 3;
        h.metadata = _meta2;
        h.state = "s";
        h.quorumNumbers = hex"0001";
        h.quorumThresholdPercentages = thresholds;
        h.referenceBlockNumber = ref;
    }

    function _digest2(IMultiProverServiceManager.StateHeader memory h) internal view returns (bytes32) {
        return sm._hashReducedStateHeader(IMultiProverServiceManager.ReducedStateHeader(h.committeeId, h.metadata, h.state, h.referenceBlockNumber));
    }

    function _params2(Run memory run, bool[] memory signs, uint32 ref, bool weighted)
        internal
        view
        returns (IBLSSignatureChecker.NonSignerStakesAndSignature memory p)
    {
        IMultiProverServiceManager.StateHeader memory h = _header2(ref, hex"0000");
        uint256 n;
        for (uint256 i = 0; i < run.ops.length; i++) if (!signs[i]) n++;
        bytes32[] memory ids = new bytes32[](n);
        p.nonSignerPubkeys = new BN254.G1Point[](n);
        uint256 k;
        uint256 skSum;
        for (uint256 i = 0; i < run.ops.length; i++) {
            if (signs[i]) {
                uint256 c = weighted ? (run.bitmaps[i] == 3 ? 2 : 1) : 1;
                skSum = addmod(skSum, mulmod(c, run.ops[i].sk, BN254.FR_MODULUS), BN254.FR_MODULUS);
                continue;
            }
            uint256 j = k++;
            while (j > 0 && uint256(ids[j - 1]) > uint256(run.ops[i].id)) {
                ids[j] = ids[j - 1];
                p.nonSignerPubkeys[j] = p.nonSignerPubkeys[j - 1];
                j--;
            }
            ids[j] = run.ops[i].id;
            p.nonSignerPubkeys[j] = run.ops[i].pk1;
        }
        OperatorStateRetriever.CheckSignaturesIndices memory idx =
            osr.getCheckSignaturesIndices(IRegistryCoordinator(address(rc)), ref, h.quorumNumbers, ids);
        p.nonSignerQuorumBitmapIndices = idx.nonSignerQuorumBitmapIndices;
        p.quorumApkIndices = idx.quorumApkIndices;
        p.totalStakeIndices = idx.totalStakeIndices;
        p.nonSignerStakeIndices = idx.nonSignerStakeIndices;
        p.quorumApks = new BN254.G1Point[](2);
        p.quorumApks[0] = blsApkRegistry.getApk(0);
        p.quorumApks[1] = blsApkRegistry.getApk(1);
        p.sigma = BN254.scalar_mul(BN254.hashToG1(_digest2(h)), skSum);
        p.apkG2 = G2.mul(BN254.generatorG2(), skSum);
    }

    function _confirm2(Run memory run, bool[] memory signs, uint32 ref, bytes memory thresholds)
        internal
        returns (IBLSSignatureChecker.QuorumStakeTotals memory t)
    {
        IMultiProverServiceManager.StateHeader memory h = _header2(ref, thresholds);
        IBLSSignatureChecker.NonSignerStakesAndSignature memory p = _params2(run, signs, ref, true);
        (t, ) = sm.checkSignatures(_digest2(h), h.quorumNumbers, ref, p);
        vm.prank(address(this), address(this));
        sm.confirmState(h, p);
        _meta2 = abi.encodePacked(_meta2, "+");
    }
}
